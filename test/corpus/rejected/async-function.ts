// async functions and await are outside the subset.
async function later(): Promise<number> { // error
  return 1;
}
later();
