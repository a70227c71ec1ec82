import { describe, expect, it } from 'vitest';
import { minorToInput, parseMoney, totalsByCurrency } from './money.ts';

describe('money in minor units', () => {
  it.each([
    ['12,500.50', 'USD', 1_250_050],
    ['12 500,50', 'RUB', 1_250_050],
    ['12\u00a0500,5', 'EUR', 1_250_050],
    ['12,500', 'USD', 1_250_000],
    ['1,5', 'EUR', 150],
    ['۱۲۵۰٫۵', 'USD', 125_050],
    ['0.1', 'USD', 10],
    ['', 'USD', 0],
  ])('reads %s %s as %i', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toBe(minor);
  });

  it.each(['abc', '-5', '1e3', '12.345.6x', '99999999999999999999'])('refuses %s', (text) => {
    expect(parseMoney(text, 'USD')).toBeNull();
  });

  it('writes minor units back for inputs and sums per currency without floats', () => {
    expect(minorToInput(125_050, 'USD')).toBe('1250.5');
    expect(minorToInput(5, 'USD')).toBe('0.05');
    const deals = [
      { amount: 10, currency: 'USD' },
      { amount: 20, currency: 'USD' },
      { amount: 7, currency: 'EUR' },
    ];
    expect(totalsByCurrency(deals)).toEqual([
      { currency: 'USD', amount: 30 },
      { currency: 'EUR', amount: 7 },
    ]);
  });
});
