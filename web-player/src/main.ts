import './style.css';
import { readConfig } from './config.js';
import { Player } from './player.js';

const byId = (id: string) => document.getElementById(id)!;

const player = new Player(readConfig(location.search, location.origin), {
  root: document.body,
  stage: byId('stage'),
  pairing: byId('pairing'),
  pairingCode: byId('pairing-code'),
  pairingHint: byId('pairing-hint'),
  message: byId('message'),
  status: byId('status'),
});
void player.start();

// The offline shell: after one visit online, the page opens (and plays its stored playlist) without the network.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err: unknown) => {
    console.warn('service worker not registered', err);
  });
}
