/*
 * store_schema.h - migrations, private to src/store*.c.
 */
#ifndef PM_STORE_SCHEMA_H
#define PM_STORE_SCHEMA_H

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
