"""Weekly flyers: what goes on them (`compose`), how they are laid out (`layout`, pure), the staff
page and the public PDF (`views`)."""
