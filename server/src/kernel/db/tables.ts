// Typed tables. The schema the migrations make is generated into schema.generated.ts (and checked
// against both dialects by schema-types.test.ts). A module declares the tables it owns as a subset
// of it, narrowing columns where it knows more (a status column holds a union, not any string):
//
//   export type ServicesTables = ModuleTables<'svc_providers' | 'svc_bookings', {
//     svc_bookings: { status: BookingStatus };
//   }>;
//   export type ServicesDb = Kysely<ServicesTables>;
//
// and its repository is typed by it (`tablesOf<ServicesTables>(k.db)`), so a misspelt column or a
// table of another module does not compile. A function that must run inside a transaction takes
// `Transaction<…>`: a plain Kysely instance is not one.
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.generated.js';

export type { Schema };

/** Narrowed column types must still fit the migrated column (a union of strings in a text column…). */
type Narrowing<Names extends keyof Schema> = { [T in Names]?: { [C in keyof Schema[T]]?: Schema[T][C] } };

/** The tables a module owns, as migrated, with some columns narrowed. */
export type ModuleTables<Names extends keyof Schema, N extends Narrowing<Names> = Record<never, never>> = {
  [T in Names]: T extends keyof N ? Omit<Schema[T], keyof N[T]> & N[T] : Schema[T];
};

/** The kernel's database handle seen through one module's tables. */
export function tablesOf<T>(db: Kysely<Schema> | Transaction<Schema>): Kysely<T> {
  return db as unknown as Kysely<T>;
}

/** A transaction seen through one module's tables (a function that needs one can require it). */
export function txOf<T>(tx: Transaction<Schema>): Transaction<T> {
  return tx as unknown as Transaction<T>;
}
