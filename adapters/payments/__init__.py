"""Payment partners (banks and e-wallets) the programme pays incentives through."""
