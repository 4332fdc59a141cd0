// Shows the center's messages about a dossier (web push, docs/notifications.md) and opens the
// lookup page when the citizen taps one.
'use strict';
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (_) {
    message = { title: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || 'Một cửa', {
      body: message.body || '',
      data: { url: message.url || '/tra-cuu' },
      icon: '/icon-192.png',
      lang: message.lang || 'vi',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
