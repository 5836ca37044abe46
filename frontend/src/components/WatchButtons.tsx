/**
 * One link per distinct streaming service, through `/watch-link/{id}?service=` so the server
 * picks the current URL (the original linked `watch_options[].url` directly from a Bootstrap
 * dropdown that needed CDN JavaScript).
 */
import { watchLinkUrl } from '../api';
import { distinctServices } from '../format';
import type { WatchOption } from '../types';

export interface WatchButtonsProps {
  itemId: number;
  options: WatchOption[] | null | undefined;
  onOpen?: (service: string) => void;
}

export function WatchButtons({ itemId, options, onOpen }: WatchButtonsProps) {
  const services = distinctServices(options);
  if (services.length === 0) {
    return (
      <button type="button" className="btn btn-muted" disabled data-testid="no-streaming">
        No Streaming Link
      </button>
    );
  }
  return (
    <div className="watch-buttons" aria-label="Watch now">
      {services.map((service) => (
        <a
          key={service}
          className="btn btn-success"
          href={watchLinkUrl(itemId, service)}
          target="_blank"
          rel="noopener noreferrer"
          data-testid={`watch-${service}`}
          onClick={() => onOpen?.(service)}
        >
          ▶ {service.toUpperCase()}
        </a>
      ))}
    </div>
  );
}
