"""The log review pages: the unit's log and a patient's extract.

Above accounts and patients (it reads members and finds patients); the log
itself (painrehab.audit) sits at the ground. Its templates stay in
audit/templates/audit/ and its URLs keep the "audit" namespace.
"""
