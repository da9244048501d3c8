// undici's own modules, imported one by one so a bundle carries the HTTP client without undici's
// fetch, WebSocket and cookie code (whose webidl checks also load Node's internal copy of undici).
declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export = Agent;
}
declare module 'undici/lib/api/api-request' {
  import type { Dispatcher } from 'undici';
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}
