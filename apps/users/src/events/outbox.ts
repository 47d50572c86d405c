import type { PersonChanged } from "@w2meet/contracts";
import type postgres from "postgres";

/**
 * Records, inside the write's transaction, that a person's availability changed (or that they were
 * deleted): the relay publishes it as a `person.changed` event once committed, and a rolled-back write
 * leaves nothing to publish.
 */
export async function recordPersonChanged(tx: postgres.TransactionSql, person: { email: string; version: string }, caseId: string) {
  const message: PersonChanged = { email: person.email, version: String(person.version), changed_at: new Date().toISOString() };
  await tx`
    insert into users_outbox (email, version, case_id, message)
    values (${person.email}, ${message.version}, ${caseId}, ${tx.json(message)})`;
}
