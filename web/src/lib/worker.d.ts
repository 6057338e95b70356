// Vite's "?worker&url" import: the URL of a separately bundled web worker.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
