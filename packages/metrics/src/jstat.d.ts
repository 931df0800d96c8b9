// jstat ships no type declarations; this covers the few distributions bnx uses.
declare module 'jstat' {
  interface ContinuousDistribution2 {
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
  };
  export default jStat;
}
