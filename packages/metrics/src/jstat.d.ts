// jstat ships no type declarations; this covers the few functions bnx uses.
declare module 'jstat' {
  interface ContinuousDistribution2 {
    pdf(x: number, a: number): number;
    cdf(x: number, a: number): number;
    inv(p: number, a: number): number;
  }
  interface ContinuousDistribution3 {
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  const jStat: {
    studentt: ContinuousDistribution2;
    normal: ContinuousDistribution3;
    gammaln(x: number): number;
  };
  export default jStat;
}
