"""Course quality on the staff endpoint: reviews (PMO, assessor bodies), the body registry, monitoring, sanctions."""
