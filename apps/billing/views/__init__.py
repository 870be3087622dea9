"""Billing pages. The front desk (receptionists) and accountants invoice and take money;
cancelling issued invoices, credit notes, write-offs, the price list and the collections
report are for accountants (hospital administrators may do everything).

``invoices``: the lists and making an invoice; ``invoice``: one invoice and its actions;
``prices``: the price list; ``reports``: collections."""

from __future__ import annotations

from apps.accounts.models import Role

#: take money and make invoices
CASHIERS = frozenset({Role.ACCOUNTANT, Role.RECEPTIONIST})
#: run the books: price list, cancel issued invoices, credit notes, write-offs, reports
ACCOUNTS = frozenset({Role.ACCOUNTANT})
PAGE_SIZE = 25
