"""An instance's whole history moved between stores, proven by its hash chain: to the city's
archive at a contractor's exit (返還・廃棄, `exit`), and into a sealed store for a store written
before personal parts were sealed (移行, `reseal`)."""
