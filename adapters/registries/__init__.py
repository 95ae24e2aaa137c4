"""Registry adapters: a deterministic synthetic population and fake government registries over it."""
