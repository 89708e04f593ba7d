-- GET /api/initiatives?q=雨污分流: a title search (trigram index), one page by deadline.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE title LIKE '%雨污分流%' AND status IN ('Planned', 'InProgress') ORDER BY deadline, id LIMIT 50;
