"""The portal's roles, granted through groups that administrators manage in the admin."""

INSPECTOR = "Inspectors"
QA_MANAGER = "QA managers"
AUTHORITY_USER = "Local authority users"
ADMINISTRATOR = "Administrators"

ALL = (INSPECTOR, QA_MANAGER, AUTHORITY_USER, ADMINISTRATOR)
