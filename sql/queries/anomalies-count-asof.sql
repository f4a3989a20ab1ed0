-- Anomaly rows the run at {asOf} wrote (anomalies.job.ts reports them as its rows).
SELECT count() AS n FROM anomalies WHERE updated_at = {asOf:DateTime64(3)}
