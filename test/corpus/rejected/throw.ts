// throw is outside the subset (use a never-returning function with exit()).
function fail(msg: string): never {
  throw new Error(msg); // error
}
fail("boom");
