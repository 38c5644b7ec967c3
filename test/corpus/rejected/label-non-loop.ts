// Labels are only allowed on loops.
block: { // error
  console.log("in");
  break block;
}
