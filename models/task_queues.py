"""Tiers are task queues: a worker process serves one tier and scales on its own.

Case workflows run on the district queue (the 区县 centre owns a case from intake to
verification); each tier's own writes run on that tier's queue.
"""

CITY = "city"
DISTRICT = "district"
STREET = "street"
VISION = "vision"

WORKFLOWS = DISTRICT
ALL = (CITY, DISTRICT, STREET, VISION)
