"""Stage 4, enrollment: card numbers, the card's record and purchase rules, the balance ledger."""
