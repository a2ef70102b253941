/*
 * store_schema.h - migrations, private to src/store*.c.
 */
#ifndef PM_STORE_SCHEMA_H
#define PM_STORE_SCHEMA_H

/*
 * Link every unlinked scanned listener to the lowest-numbered recorded
 * (trace, crawl) listener of the same script with the same handler code,
 * or, when the recording kept no code, on the same line.  Used by the v2
 * migration and by store_link_listener_copies.
 */
#define STORE_LINK_LISTENER_COPIES_SQL                                        \
    "UPDATE listeners AS x SET same_as = m.rid FROM ("                        \
    " SELECT s.id AS sid, min(r.id) AS rid FROM listeners s"                  \
    " JOIN listeners r ON r.script_url = s.script_url AND r.found_by <> 'scan'" \
    "  AND (r.code_hash = s.code_hash"                                        \
    "   OR (coalesce(r.code, '') = '' AND r.line = s.line))"                  \
    " WHERE s.found_by = 'scan' AND s.same_as IS NULL"                        \
    " GROUP BY s.id) AS m"                                                    \
    " WHERE x.id = m.sid"

/* Findings on a scanned copy move to the listener it is (the copy is no
 * longer listed); the analysis never suggests one finding for both. */
#define STORE_MOVE_COPY_FINDINGS_SQL                                          \
    "UPDATE findings AS f SET subject_id = l.same_as FROM listeners l"        \
    " WHERE f.subject_kind = 'listener' AND f.subject_id = l.id"              \
    " AND l.same_as IS NOT NULL"

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
