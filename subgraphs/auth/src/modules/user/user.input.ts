import { Role } from '@phub/kit';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsEnum,
  IsOptional,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../security/password.js';
import { UserStatus } from './user.entity.js';

const passwordMessage = `password must be at least ${PASSWORD_MIN_LENGTH} characters`;

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field(() => String)
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName: string;

  @Field(() => [Role])
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayMaxSize(5)
  @IsEnum(Role, { each: true })
  roles: Role[];

  @Field(() => [ID], { nullable: true, description: 'Required with a store role; the stores it applies to' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'each storeId must be a store id' })
  storeIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set a first password now; without one the user is INVITED and gets an invitation token',
  })
  @IsOptional()
  @MinLength(PASSWORD_MIN_LENGTH, { message: passwordMessage })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string | null;
}

@InputType()
export class SetUserRolesInput {
  @Field(() => ID)
  userId: string;

  @Field(() => [Role])
  @ArrayMinSize(1, { message: 'roles must name at least one role (deactivate the user instead)' })
  @ArrayMaxSize(5)
  @IsEnum(Role, { each: true })
  roles: Role[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'each storeId must be a store id' })
  storeIds?: string[] | null;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @Field(() => String)
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

@InputType()
export class UserFilter {
  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: 'Users whose store roles cover this store' })
  @IsOptional()
  @IsUUID('all', { message: 'storeId must be a store id' })
  storeId?: string | null;

  @Field(() => UserStatus, { nullable: true })
  status?: UserStatus | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on email or name' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}

@ArgsType()
export class UsersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  @IsOptional()
  @Min(0)
  @Max(100)
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => UserFilter, { nullable: true })
  filter?: UserFilter | null;
}
