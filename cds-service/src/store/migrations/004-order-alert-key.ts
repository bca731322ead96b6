/**
 * Order-safety cards keep their alert's key (hooks/order-alerts.ts), so order-sign can tell that
 * order-select already returned the same alert for the same order and not repeat it (issue 19).
 * Looked up by patient and key, newest first; cards of other kinds have none.
 */
export const orderAlertKey = `
ALTER TABLE issued_cards ADD COLUMN order_alert_key text;
CREATE INDEX issued_cards_order_alert_idx ON issued_cards (patient_id, order_alert_key, issued_at)
  WHERE order_alert_key IS NOT NULL;
`;
