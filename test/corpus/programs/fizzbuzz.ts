// Classic FizzBuzz: loops, modulo, if chains, string building.
let out = "";
for (let i = 1; i <= 20; i++) {
  if (i % 15 === 0) out += "FizzBuzz";
  else if (i % 3 === 0) out += "Fizz";
  else if (i % 5 === 0) out += "Buzz";
  else out += String(i);
  if (i < 20) out += " ";
}
console.log(out);
