"""Complete answers to the standard scales, for tests to vary."""

# Katz ADL: independent in all six functions (6 of 6).
KATZ_ALL_INDEPENDENT = {
    "bathing": "independent",
    "dressing": "independent",
    "toileting": "independent",
    "transferring": "independent",
    "continence": "independent",
    "feeding": "independent",
}

# Lawton IADL: the most independent answer in each of the eight domains (8 of 8).
LAWTON_INDEPENDENT = {
    "telephone": "own_initiative",
    "shopping": "independently",
    "food_preparation": "independently",
    "housekeeping": "alone",
    "laundry": "all_own",
    "transportation": "independently",
    "medications": "responsible",
    "finances": "independently",
}
