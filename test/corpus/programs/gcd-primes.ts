// Number theory with functions, loops and modulo.
function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}
console.log(gcd(48, 18), gcd(17, 5), gcd(0, 9));
const primes: number[] = [];
for (let i = 0; i < 40; i++) if (isPrime(i)) primes.push(i);
console.log(primes.join(" "));
