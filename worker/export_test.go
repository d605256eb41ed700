package worker

// EnqueueTick is enqueueTick, for tests.
var EnqueueTick = enqueueTick
