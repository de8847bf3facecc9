// The embed loader (skeleton): replaced by the full loader below.
export {};
