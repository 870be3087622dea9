"""The pharmacy's pages: catalogue (medicines, suppliers), stock (receipts, adjustments,
alerts) and sales (with returns and the printable receipt).

Who may use them is decided once, for the whole module, by the staff-module entry
(pharmacists; hospital administrators may use every module)."""
