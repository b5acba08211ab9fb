"""The first scoring model's weights (used by migration 0002 and the demo data).

Crime types most tied to children's safety around schools (violence, weapons, robbery,
drugs) weigh most; property crime that rarely touches pupils weighs least. BCU managers
change these in the admin; each change makes a new version of the model.
"""

DEFAULT_SCORING_MODEL_NAME = "Standard"

DEFAULT_CRIME_TYPE_WEIGHTS = {
    "Anti-social behaviour": "1.00",
    "Bicycle theft": "0.50",
    "Burglary": "1.00",
    "Criminal damage and arson": "1.00",
    "Drugs": "2.00",
    "Other crime": "1.00",
    "Other theft": "0.50",
    "Possession of weapons": "3.00",
    "Public order": "1.50",
    "Robbery": "3.00",
    "Shoplifting": "0.50",
    "Theft from the person": "1.50",
    "Vehicle crime": "0.50",
    "Violence and sexual offences": "3.00",
}
