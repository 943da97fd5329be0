from django.apps import AppConfig


class HouseholdConfig(AppConfig):
    name = "coopcare.household"
    verbose_name = "Household employers"
