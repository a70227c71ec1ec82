import mongoose from 'mongoose';

/** A stored id from its 24-hex string form (ids travel as strings in the API, events and contexts). */
export const oid = (id: string): mongoose.Types.ObjectId => new mongoose.Types.ObjectId(id);

/** `oid` of each id, in order. */
export const oids = (ids: readonly string[]): mongoose.Types.ObjectId[] => ids.map((id) => oid(id));
