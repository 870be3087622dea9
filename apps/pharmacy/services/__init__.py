"""The pharmacy's writes: catalogue, stock (receipts, adjustments, the ledger) and sales
(with returns). Each room is its own module; import from them directly."""
