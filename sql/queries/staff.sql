-- Staff sessions: the server side of the sign-in cookie.

-- name: insert_session
-- A new session for a signed-in account; the cookie value is known only by its hash.
insert into staff_sessions (user_id, token_hash, expires_at, peer)
values (:user_id, :token_hash, now() + make_interval(secs => :seconds), :peer)
returning id;

-- name: session_user
-- The live session behind a cookie and its account (never a disabled one).
select s.id as session_id, s.flash, s.expires_at, u.id as user_id, u.name, u.role,
       s.last_seen_at < now() - interval '1 minute' as stale
  from staff_sessions s
  join staff_users u on u.id = s.user_id
 where s.token_hash = :token_hash
   and s.revoked_at is null
   and s.expires_at > now()
   and u.disabled_at is null;

-- name: touch_session
-- Seen again; written at most once a minute (see session_user.stale).
update staff_sessions set last_seen_at = now() where id = :id;

-- name: mark_signed_in
-- The account's last sign-in time.
update staff_users set last_sign_in_at = now() where id = :id;

-- name: revoke_session
-- Sign-out: the cookie stops working at once, in every process.
update staff_sessions set revoked_at = now() where id = :id and revoked_at is null;

-- name: set_flash
-- A message for the next page this session sees.
update staff_sessions set flash = :flash where id = :id;

-- name: take_flash
-- Read and clear the session's message in one step.
update staff_sessions s set flash = null
  from (select id, flash from staff_sessions where id = :id for update) old
 where s.id = old.id
returning old.flash;

-- name: purge_sessions
-- Drop sessions that ended more than a day ago.
delete from staff_sessions where expires_at < now() - interval '1 day'
                              or revoked_at < now() - interval '1 day';
