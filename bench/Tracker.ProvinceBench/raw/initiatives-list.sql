-- GET /api/initiatives?pageSize=50 (supervisor of the city): the city's active items by deadline, one page.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE status IN ('Planned', 'InProgress') ORDER BY deadline, id LIMIT 50;
