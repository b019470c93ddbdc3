// placeholder, replaced by the database work
