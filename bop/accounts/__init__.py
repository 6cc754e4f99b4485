"""Accounts: who works with BOP and where.

- `models`: Staff (with roles) and Location (a BOP)
- `auth`: login, logout and the role checks every staff view uses (blueprint `auth`)
- `people`: staff accounts, coordinators only (blueprint `people`)
- `locations`: the BOPs themselves (blueprint `locations`)
- `forms`: the phone and e-mail rules every form shares
"""
