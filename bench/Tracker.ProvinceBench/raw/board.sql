-- GET /api/board?pageSize=50 (city): BASELINES "the same for a whole city": overdue items by deadline, 50 rows.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE status IN ('Planned', 'InProgress') AND deadline < :today ORDER BY deadline, id LIMIT 50;
