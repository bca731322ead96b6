/**
 * FIB-4 (Sterling et al., Hepatology 2006;43:1317): age × AST / (platelets × √ALT), AST and ALT
 * in U/L, platelets in 10⁹/L. MASLD cutoffs 1.30 and 2.67 (Shah et al., Clin Gastroenterol
 * Hepatol 2009; AASLD 2023 practice guidance).
 */
export function fib4(age: number, ast: number, alt: number, platelets: number): number {
  return (age * ast) / (platelets * Math.sqrt(alt));
}

export function fib4Band(value: number): 'low' | 'indeterminate' | 'high' {
  if (value < 1.3) return 'low';
  if (value < 2.67) return 'indeterminate';
  return 'high';
}
