import mongoose from 'mongoose';

/** One sequence per document kind (`USR`, `GRP`, …) for human codes like `USR-12`. */
interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new mongoose.Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true, default: 0 } },
  { versionKey: false },
);

export const CounterModel = mongoose.model<CounterDoc>('Counter', counterSchema, 'counters');
