// What a page read for the query in its address: shown only under that query.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../panel-state';

/**
 * What `read` answered for `key`, or null until it comes: never another key's answer — nothing
 * read for the previous filter is shown under a new one, and an answer that comes after the user
 * has moved on is dropped.
 */
export function useReadFor<T>(key: string, read: () => Promise<T>): { data: T | null; error: string | null } {
  const [answer, setAnswer] = useState<{ key: string; data: T | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    read().then(
      (data) => live && setAnswer({ key, data, error: null }),
      (err) => live && setAnswer({ key, data: null, error: errorText(err) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return answer?.key === key ? answer : { data: null, error: null };
}
