"""Concrete infrastructure behind the domain's ports; imported only by the composition roots."""
