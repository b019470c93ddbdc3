import type { MessageContent } from '../../core/index.js';
import { escapePlain } from './markdown.js';

/** Content kinds Discord has no message type for, written as text a person can use. */

export function locationText(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `📍 **Location:** ${lat}, ${lon}\nhttps://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

export function contactText(contact: { phoneNumber: string; firstName: string; lastName?: string }): string {
  const name = [contact.firstName, contact.lastName].filter((part) => part !== undefined && part !== '').join(' ');
  return `👤 **Contact:** ${escapePlain(name)}\n📞 ${escapePlain(contact.phoneNumber)}`;
}

export function pollText(question: string, options: readonly string[]): string {
  const lines = options.map((option, index) => `${index + 1}. ${escapePlain(option)}`);
  return [`📊 **Poll:** ${escapePlain(question)}`, ...lines].join('\n');
}

export function unsupportedText(description: string): string {
  return `*[${escapePlain(description)}: this kind of message cannot be shown on Discord]*`;
}

/** Text for every content kind that is not media; undefined for media. */
export function nonMediaText(content: MessageContent): string | undefined {
  switch (content.kind) {
    case 'location':
      return locationText(content.latitude, content.longitude);
    case 'contact':
      return contactText(content);
    case 'poll':
      return pollText(content.question, content.options);
    case 'unsupported':
      return unsupportedText(content.description);
    default:
      return undefined;
  }
}
