/*
 * store_schema.h - migrations, private to src/store*.c.
 */
#ifndef PM_STORE_SCHEMA_H
#define PM_STORE_SCHEMA_H

/*
 * Link every unlinked scanned listener to the lowest-numbered recorded
 * (trace, crawl) listener of the same script with the same handler code,
 * or, when the recording kept no code, on the same line.  Used by the v2
 * migration and by store_link_listener_copies.  The few recorded listeners
 * drive the join (CROSS JOIN keeps that order): driven from the scanned
 * ones it cost 1.2 s CPU on a 50 000-entry HAR with no recording at all.
 */
#define STORE_LINK_LISTENER_COPIES_SQL                                        \
    "UPDATE listeners AS x SET same_as = m.rid FROM ("                        \
    " SELECT s.id AS sid, min(r.id) AS rid FROM listeners r"                  \
    " CROSS JOIN listeners s ON s.script_url = r.script_url"                  \
    "  AND s.found_by = 'scan' AND s.same_as IS NULL"                         \
    "  AND (s.code_hash = r.code_hash"                                        \
    "   OR (coalesce(r.code, '') = '' AND s.line = r.line))"                  \
    " WHERE r.found_by <> 'scan'"                                             \
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
