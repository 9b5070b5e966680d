// stream-json publishes its streamers under a subpath export ("./*" -> "./src/*"), which the
// project's CommonJS module resolution does not read; its own declarations are re-exported here.
declare module 'stream-json/streamers/stream-array.js' {
  export * from 'stream-json/src/streamers/stream-array';
}
