"""Pure helpers shared by the apps and the planner: plain Python, no Django, no coopcare app.

Anything here may be imported from anywhere in coopcare (the planner and the vote count
included); import-linter checks that it imports nothing of Django or of the apps.
"""
