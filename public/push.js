// Web push (docs/notifications.md), shown only where the browser can take push messages: the
// filing form's choice of this phone's browser, and the receipt's and status page's offer,
// which subscribes this phone with the server's key and sends the subscription with the
// dossier's code and lookup key, then shows the page again.
'use strict';
const canPush = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
// The filing form's "this phone's browser": offered only where it can work.
for (const choice of canPush ? document.querySelectorAll('.push-choice') : []) {
  choice.hidden = false;
  choice.closest('fieldset').hidden = false;
}
const offer = document.querySelector('.push-offer');
if (offer && canPush) {
  offer.hidden = false;
  const failed = offer.querySelector('.push-failed');
  const key = (text) => {
    const base64 = (text + '='.repeat((4 - (text.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  offer.querySelector('button').addEventListener('click', async () => {
    failed.hidden = true;
    try {
      if ((await Notification.requestPermission()) !== 'granted') throw new Error('not allowed');
      const registration = await navigator.serviceWorker.register(offer.dataset.worker);
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key(offer.dataset.key),
      });
      const keys = subscription.toJSON().keys || {};
      const form = new URLSearchParams({
        ma: offer.dataset.code,
        khoa: offer.dataset.lookup,
        endpoint: subscription.endpoint,
        p256dh: keys.p256dh || '',
        auth: keys.auth || '',
      });
      const answer = await fetch(offer.dataset.action, { method: 'POST', body: form, redirect: 'follow' });
      if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
      window.location.reload();
    } catch (_) {
      failed.hidden = false;
    }
  });
}
