import { Notice } from '../../ui';
import { describeMismatch, orientationMismatches } from './orientation';

export interface CreativeShape {
  name: string;
  orientations?: readonly string[] | null;
}

/**
 * Warns when matched displays are of an orientation some creatives do not suit (e.g. portrait screens and a
 * landscape-only slide, which plays pillarboxed): add a version for those screens, or set the creative's fit.
 */
export function OrientationWarning({
  displays,
  creatives,
}: {
  displays: readonly { orientation: string }[];
  creatives: readonly CreativeShape[];
}) {
  const mismatches = orientationMismatches(displays, creatives);
  if (!mismatches.length) return null;
  return (
    <div data-testid="orientation-warning">
      <Notice kind="warning">
        <strong>Some screens do not suit these creatives.</strong>
        <ul className="problems">
          {mismatches.map((m) => (
            <li key={m.orientation} data-orientation={m.orientation}>
              {describeMismatch(m)}: there it plays with bars (or cropped or stretched, by its fit in the library).
            </li>
          ))}
        </ul>
        Add a version for those screens (the creative’s “Languages” button: “For” portrait or landscape screens), or
        narrow the targeting with an orientation rule.
      </Notice>
    </div>
  );
}
