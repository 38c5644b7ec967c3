// Getters (and the objects holding them) are outside the subset.
const box = { // error
  get value(): number { // error
    return 1;
  },
};
console.log(box.value);
