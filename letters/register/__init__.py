"""The public register of published letters: search, filters, each letter's page, and the
register as open data (JSON, CSV, an Atom feed). Published letters are public; nothing
else is read here (letters.register.selectors)."""
