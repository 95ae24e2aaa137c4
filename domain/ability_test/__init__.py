"""Stage 2, the basic-ability test: attempts, the question bank's port, its wire contracts."""
